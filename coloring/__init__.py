"""The risk model: rules, scores, reasons, warning grades and the one palette."""
