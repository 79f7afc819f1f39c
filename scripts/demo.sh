#!/bin/sh
# The main job on the example policy repository, as CI and an ops lead run it.
set -e
echo "== opskit validate: every check on the example policies"
opskit validate
echo
echo "== opskit summary: what the policies promise"
opskit summary
