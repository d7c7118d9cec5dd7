"""The case: the typed fact vocabulary every pack shares, and reading case files.

May import: reading, expr, types, units, dates, errors.
"""

from .case import (
    Application,
    Business,
    Case,
    Disability,
    Graduation,
    Hire,
    Lowbao,
    Person,
    Place,
    PublicWelfarePost,
    Tobacco,
    Training,
    Unit,
    flatten,
)

__all__ = [
    "Application",
    "Business",
    "Case",
    "Disability",
    "Graduation",
    "Hire",
    "Lowbao",
    "Person",
    "Place",
    "PublicWelfarePost",
    "Tobacco",
    "Training",
    "Unit",
    "flatten",
]
