// AerospikeSim module: see the issues for what lands here.
enum AerospikeSimModule {}
