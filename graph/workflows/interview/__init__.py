"""Mock job interview coach: questions from a bank, rubric scores, follow-ups, final report."""
