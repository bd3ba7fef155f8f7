// SSHClient module: see the issues for what lands here.
enum SSHClientModule {}
