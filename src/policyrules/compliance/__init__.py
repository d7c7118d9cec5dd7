"""An employer's employment security fund year by year: what is owed, what lowers it, what one more hire changes.

May import: engine, pack, facts, reading, expr and below.
"""

from .years import ComplianceReport, EmployeeOut, HireEffect, ReasonOut, RewardOut, YearRow, compliance, parse_years

__all__ = [
    "ComplianceReport",
    "EmployeeOut",
    "HireEffect",
    "ReasonOut",
    "RewardOut",
    "YearRow",
    "compliance",
    "parse_years",
]
