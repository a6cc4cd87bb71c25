"""Rules × live stores → per-store plans with operators built (fail closed), above mask/."""
