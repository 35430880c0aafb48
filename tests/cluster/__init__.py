"""Tests that start real database clusters (a three-node MariaDB Galera
cluster, a PostgreSQL primary with a streaming replica) with the scripts
in scripts/, and API servers on them.

They need root, MariaDB with galera-4 and PostgreSQL's server binaries
(the scripts install missing Debian packages), so they run only when
PLACEMENT_CLUSTER_TESTS is set (to anything but an empty string); else
the skip reason says how to run them. .ci/run sets it for one step of its
own, after the three whole-suite passes."""
