"""dondoc: read Vietnamese directives and follow up on their tasks."""
