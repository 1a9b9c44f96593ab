"""Printing: label and slip layout, output formats (PDF first) and the devices they go to."""
