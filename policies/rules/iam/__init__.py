"""IAM least privilege: documents, principals, managed-policy attachments and escalation paths."""

from policies.rules.framework import Rule
from policies.rules.iam import attachments, documents, escalation, federation, principals, users

RULES: list[Rule] = [
    *documents.RULES,
    *principals.RULES,
    *attachments.RULES,
    *escalation.RULES,
    *federation.RULES,
    *users.RULES,
]
