"""Career rules for functional positions (JF), performance (SKP) and retirement; see rules.py."""
