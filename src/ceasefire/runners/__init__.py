"""Batch runners: the local one is :func:`ceasefire.services.process.process`; ``dask`` spreads
extraction over a Dask cluster. Runners are thin: they only decide where the stages run."""
