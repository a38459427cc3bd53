// The lstat that ends each file's copy in a reintegration (Reintegrator.named: the path must
// still name the file copied; docs/benchmarks.md, "The copy's closing lstat"), counted alone: the
// same call (LocalTree.stat of a confined tree) on every regular file of TREE, ROUNDS times after
// one warm-up round; per round the total and the time per call, then the median total.
// usage (as root, after `mvn test-compile` of the module, from bundles/rfs):
//   mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=CP
//   jshell --class-path "target/classes:$(cat CP)" -R-Dtree=TREE -R-Drounds=7 bench/copy-lstat.jsh
// TREE, e.g. one made by `ReplicaBench many TREE 20000` (as part many of replication-bench.sh).
var root = java.nio.file.Path.of(System.getProperty("tree"));
int rounds = Integer.getInteger("rounds", 7);
var paths = new java.util.ArrayList<String>();
try (var w = java.nio.file.Files.walk(root)) {
  w.filter(java.nio.file.Files::isRegularFile).forEach(p -> paths.add("/" + root.relativize(p)));
}
var tree = new org.bulwark.fuse.internal.ConfinedTrees().open(root);
long sink = 0;
for (String p : paths) sink += tree.stat(p).get().ino();
var ms = new java.util.ArrayList<Double>();
for (int r = 0; r < rounds; r++) {
  long t0 = System.nanoTime();
  for (String p : paths) sink += tree.stat(p).get().ino();
  long t = System.nanoTime() - t0;
  ms.add(t / 1e6);
  System.out.printf("round %d: %d calls in %.1f ms, %.0f ns each%n", r + 1, paths.size(), t / 1e6, (double) t / paths.size());
}
java.util.Collections.sort(ms);
System.out.printf("median %.1f ms for %d files (%d)%n", ms.get(ms.size() / 2), paths.size(), sink & 1);
tree.close();
/exit
