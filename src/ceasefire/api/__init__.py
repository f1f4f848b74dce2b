"""HTTP interface: the FastAPI application factory and its routes."""
