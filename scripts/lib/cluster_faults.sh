# shellcheck shell=bash
# chatctl cluster fault inject|heal KIND: faults of the cluster of hosts.

cmd_cluster_fault() { die "not yet"; }
