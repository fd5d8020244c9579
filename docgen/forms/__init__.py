"""Forms: a stored plan, case note or MOU rendered as Word and PDF, stored through docgen.files."""
