package postgres

const workerEnv = "SHOUHOU_PG_WORKER"

func workerMain(role string) int { return 2 }
