"""The RealWorld error messages, word for word those of packages/contract/src/schemas.ts (`messages`).

The differential transcript compares answers byte for byte with the TypeScript baseline, so these
strings must never drift from the TypeScript ones.
"""

from typing import Final

BLANK: Final = "can't be blank"
NOT_STRING: Final = "must be a string"
NOT_OBJECT: Final = "must be an object"
NOT_STRING_LIST: Final = "must be a list of strings"
BLANK_TAG: Final = "can't contain a blank tag"
INVALID_EMAIL: Final = "is invalid"
PASSWORD_TOO_SHORT: Final = "is too short (minimum is 8 characters)"
PASSWORD_TOO_LONG: Final = "is too long (maximum is 256 characters)"
EMPTY_UPDATE: Final = "must change at least one field"
NOT_INTEGER: Final = "must be an integer"
TAKEN: Final = "has already been taken"
NOT_FOUND: Final = "not found"
FORBIDDEN: Final = "forbidden"
MISSING_TOKEN: Final = "is missing"
INVALID_TOKEN: Final = "is invalid"
INVALID_CREDENTIALS: Final = "invalid"
INVALID_JSON: Final = "is not valid JSON"
NUL_CHARACTER: Final = "can't contain the NUL character"
INVALID_UNICODE: Final = "can't contain a lone surrogate (not valid unicode)"
DATABASE_UNAVAILABLE: Final = "is unavailable"
DATABASE_TIMEOUT: Final = "timed out"
BODY_TOO_LARGE: Final = "is too large"

# The JWT secret of every app started without JWT_SECRET outside production (DEVELOPMENT_JWT_SECRET).
DEVELOPMENT_JWT_SECRET: Final = "orm-arena-development-secret-do-not-use-in-production"

PASSWORD_MIN_LENGTH: Final = 8
PASSWORD_MAX_LENGTH: Final = 256
LIMIT_DEFAULT: Final = 20
LIMIT_MAX: Final = 1000
OFFSET_MAX: Final = 2_147_483_647
COMMENT_ID_MAX: Final = 2_147_483_647
