"""The API's routes, one module per resource, as in packages/api/src/routes."""
