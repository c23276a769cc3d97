"""Printed output (ReportLab PDF). Takes loaded models; never queries or commits. No Qt."""
