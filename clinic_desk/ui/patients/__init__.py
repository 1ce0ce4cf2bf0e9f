"""Patients: find, register, the chart with medical history and screening, the intake form."""
