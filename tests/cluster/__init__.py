"""Tests that start real database clusters (a three-node MariaDB Galera
cluster, a PostgreSQL primary with a streaming replica) with the scripts
in scripts/, and API servers on them.

They run unless PLACEMENT_SKIP_CLUSTER_TESTS is set (to anything but an
empty string), and then say so in the skip reason: .ci/run sets it for its
three whole-suite passes and runs tests/cluster once on its own."""
