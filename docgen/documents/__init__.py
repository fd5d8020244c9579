"""Contract documents (participants, assessments, plans, case notes, MOUs): intake, storage, read-back."""
