"""Event extraction: who did what to whom, where and when, with modality, grounded in spans."""
