package bot

// Internals of the trust features that the external tests reach.

var RoundRobin = roundRobin

const MaxPendingLLM = maxPendingLLM
