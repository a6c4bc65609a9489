"""Public disclosure notices (信息公示): the document model, the builders, the PDF writer."""
