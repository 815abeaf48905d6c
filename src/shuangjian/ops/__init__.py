"""Operations (运维): production server launcher, health probes, request logs, backup and restore."""
