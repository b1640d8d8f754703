import pytest

from org.models import UnitKind
from tests.conftest import Org
from tests.factories import DepartmentFactory, SchoolFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_department_of_a_department_is_itself(org: Org) -> None:
    assert org.department.department() == org.department


def test_department_of_a_school_is_its_managing_department(org: Org) -> None:
    assert org.school_a.department() == org.department
    assert org.office.department() == org.department


def test_department_walk_follows_the_managing_authority_before_the_parent(org: Org) -> None:
    other = DepartmentFactory(code="SGDDT-2", name="Sở thứ hai")
    school = SchoolFactory(parent=org.department, managing_authority=other)
    assert school.department() == other


def test_department_walk_climbs_through_parents(org: Org) -> None:
    team = UnitFactory(kind=UnitKind.DEPARTMENT_OFFICE, parent=org.office)
    assert team.department() == org.department


def test_unit_outside_the_department_tree_falls_back_to_the_first_department(org: Org) -> None:
    # Created later but first by code: "first" means by primary key, not by the default order.
    DepartmentFactory(code="A-SGDDT", name="Sở thứ hai")
    assert org.ward.department() == org.department
    assert org.ward_school.department() == org.department


def test_department_lookup_without_any_department_raises(db: None) -> None:
    ward = UnitFactory(kind=UnitKind.WARD)
    school = UnitFactory(parent=ward, managing_authority=ward)
    with pytest.raises(LookupError):
        school.department()


def test_ward_managed_school_names_its_ward(org: Org) -> None:
    assert org.ward_school.is_ward_managed
    assert org.ward_school.ward() == org.ward


def test_department_managed_school_has_no_ward(org: Org) -> None:
    assert not org.school_a.is_ward_managed
    with pytest.raises(LookupError):
        org.school_a.ward()


def test_ward_is_read_from_the_managing_authority_not_the_parent(org: Org) -> None:
    school = SchoolFactory(parent=org.ward, managing_authority=org.department)
    assert not school.is_ward_managed
    with pytest.raises(LookupError):
        school.ward()


def test_unit_without_managing_authority_is_not_ward_managed(org: Org) -> None:
    assert not org.department.is_ward_managed
    assert not org.ward.is_ward_managed
    with pytest.raises(LookupError):
        org.ward.ward()
