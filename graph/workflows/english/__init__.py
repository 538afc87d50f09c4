"""English speaking practice: open questions on a topic, recasts or explicit corrections, level
adaptation, vocabulary tracking, a progress summary with three things to practise."""
