"""Unit of work: one transaction, its repositories and its audit log."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from clinic_desk.domain.errors import ConcurrentEditError
from clinic_desk.storage.audit_log import AuditLog
from clinic_desk.storage.consent_repository import ConsentRepository
from clinic_desk.storage.engine import WRITE_INTENT, describe_database_error
from clinic_desk.storage.location import DatabaseLocation
from clinic_desk.storage.patient_repository import PatientRepository
from clinic_desk.storage.repositories import ClinicRepository, StaffRepository
from clinic_desk.storage.treatment_repository import TreatmentRepository

STALE_MESSAGE = (
    "This record was changed on another workstation after you opened it. "
    "Reload it to see the current version, then make your change again."
)


class UnitOfWorkFactory:
    """Hands out units of work on one engine; built once by the composition root."""

    def __init__(self, engine: Engine, location: DatabaseLocation, *, workstation: str) -> None:
        self.engine = engine
        self.location = location
        self.workstation = workstation
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=True)
        # Called after each commit that appended to the audit log (this workstation's
        # witness moves on with it); set by the composition root.
        self.after_audit_commit: Callable[[], None] | None = None

    def __call__(self, *, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self, write=write)

    def new_session(self) -> Session:
        return self._sessions()


class UnitOfWork:
    def __init__(self, factory: UnitOfWorkFactory, *, write: bool) -> None:
        self._factory = factory
        self._write = write

    @property
    def is_write(self) -> bool:
        return self._write

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory.new_session()
        try:
            self.session.connection(execution_options={WRITE_INTENT: self._write})
        except DBAPIError as exc:
            self.session.close()
            raise describe_database_error(exc, self._factory.location) from None
        self.staff = StaffRepository(self.session)
        self.clinic = ClinicRepository(self.session)
        self.patients = PatientRepository(self.session)
        self.treatment = TreatmentRepository(self.session)
        self.consents = ConsentRepository(self.session)
        self.audit = AuditLog(self.session, workstation=self._factory.workstation)
        return self

    def flush(self) -> None:
        try:
            self.session.flush()
        except StaleDataError:
            raise ConcurrentEditError(STALE_MESSAGE) from None

    def commit(self) -> None:
        self._commit()
        hook = self._factory.after_audit_commit
        if self.audit.appended and hook is not None:
            self.audit.appended = False
            hook()

    def _commit(self) -> None:
        try:
            self.session.commit()
        except StaleDataError:
            self.session.rollback()
            raise ConcurrentEditError(STALE_MESSAGE) from None
        except IntegrityError:
            self.session.rollback()
            raise
        except DBAPIError as exc:
            self.session.rollback()
            raise describe_database_error(exc, self._factory.location) from None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() ends any transaction left open (rolling it back in the database)
        # without expiring what was read, so read-only callers may use it afterwards.
        self.session.close()
        if isinstance(exc, StaleDataError):
            raise ConcurrentEditError(STALE_MESSAGE) from None
        if isinstance(exc, DBAPIError) and not isinstance(exc, IntegrityError):
            raise describe_database_error(exc, self._factory.location) from None
