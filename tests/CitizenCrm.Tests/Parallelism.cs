// Test classes run three at a time on two cores: most of a test's time is the test host starting and
// SQLite's fsyncs, so classes overlap well (measured: 528 s with two, 402 s with three). Tests inside one class share its fields and run one after another.
// A class that cannot share the machine (a child server process, a timing it measures) says [NonParallelizable].
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(3)]
