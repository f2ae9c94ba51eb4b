"""RAID registers (risks, assumptions, issues, dependencies, decisions), actions and notifications."""
