from __future__ import annotations

import strawberry

from tenants.models import School as SchoolModel


@strawberry.type(name="School", description="The school this host belongs to.")
class SchoolType:
    name: str = strawberry.field(description="The school's name.")
    urn: str | None = strawberry.field(description="Unique Reference Number (6 digits).")
    subdomain: str = strawberry.field(description="The school's subdomain, e.g. montsaye.")

    @classmethod
    def from_model(cls, school: SchoolModel) -> SchoolType:
        return cls(name=school.name, urn=school.urn, subdomain=school.schema_name)
