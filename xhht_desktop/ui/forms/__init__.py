"""Record forms: fields, keyboard flow, messages beside fields."""
