"""The opskit GitHub Action: runs opskit, reports to the job summary, the pull request and
issues. Standard library only: it runs right after opskit is installed, with nothing else."""
