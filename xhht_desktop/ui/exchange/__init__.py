"""The USB handover in the GUI: the export and import wizards and their shared widgets."""
