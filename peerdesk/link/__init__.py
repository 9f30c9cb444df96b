"""Everything that talks to the agency: one HTTP core (:mod:`.http`) with the
endpoints (:mod:`.client`), one enrollment routine for both roles
(:mod:`.enrollment`), the laptop's sync run (:mod:`.sync`), the supervisor's pull
(:mod:`.pull`) and decision (:mod:`.decide`), all as step generators
(:mod:`.steps`) that a driver advances on the one thread that owns the profile."""
