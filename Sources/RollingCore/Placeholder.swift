// RollingCore module: see the issues for what lands here.
enum RollingCoreModule {}
