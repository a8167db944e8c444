// Test classes run two at a time (the machines have two cores): most of a test's time is the test host starting and
// SQLite's fsyncs, so two classes overlap well. Tests inside one class share its fields and run one after another.
// A class that cannot share the machine (a child server process, a timing it measures) says [NonParallelizable].
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
