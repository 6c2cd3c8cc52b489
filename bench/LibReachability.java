import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.zip.*;

/**
 * How much of target/lib could a class-level tree shaker drop (issue #2)? Computes a conservative
 * reachability closure over target/classes + target/lib and prints, per jar, the compressed class
 * bytes before and after.
 *
 * <pre>
 *   mvn -o -q package -DskipTests
 *   java -Xmx4g bench/LibReachability.java target/classes target/lib SLIM [kept-list-file]
 * </pre>
 *
 * SLIM is either a comma-separated list of artifactIds whose classes may be dropped (all other jars
 * stay whole, so all their classes are roots), or ALL: every jar may be slimmed except those that
 * migration scripts may use directly (see {@link #userFacing}) and those smaller than
 * -Dsmall=BYTES (default 300 000). -Dnores=true and -Dnoprefix=true switch off two of the
 * conservative rules below, to see how much they cost (the result is then not safe).
 *
 * Roots: fhirmig's classes, every class of a jar kept whole, and every class named anywhere in any
 * resource of any jar (service files, spring.factories, fhirversion.properties, Log4j2Plugins.dat,
 * manifests...). Edges: every class named anywhere in a class's constant pool, as an internal name,
 * a descriptor or a dotted string (so annotations, Class.forName("...") literals and generic
 * signatures count), and every class whose name is a prefix of such a token.
 *
 * What it cannot see: names built at run time. Comparing with -Xlog:class+load of a real run
 * (serve --in-memory --exit-when-ready, and the Spock suite) shows those: jboss-logging's
 * Foo_$logger / _$bundle, Caffeine's generated node and cache classes (SSMSW...), byte-buddy's
 * Invoker$Dispatcher, and Spring Data / Hibernate package scans (ca.uhn.fhir.jpa.dao.data,
 * ca.uhn.fhir.jpa.model.entity). A real slimmer would need keep rules for those on top.
 */
public class LibReachability {
  static final Map<String, Set<String>> refs = new HashMap<>(); // class -> tokens in its constant pool
  static final Map<String, String> owner = new HashMap<>();     // class -> jar it first came from
  static final Map<String, Long> csize = new HashMap<>();       // class -> compressed bytes
  static final Set<String> roots = new HashSet<>();
  static final Map<String, Set<String>> rootWhy = new HashMap<>();

  static final String[] userFacing = {"groovy", "hapi-fhir-base-", "hapi-fhir-structures-r4-",
      "org.hl7.fhir.r4-", "hapi-fhir-client-", "hapi-fhir-caching", "jackson", "log4j", "picocli",
      "httpclient", "httpcore", "commons-"};

  public static void main(String[] a) throws Exception {
    Path classes = Path.of(a[0]), lib = Path.of(a[1]);
    boolean all = a[2].equals("ALL");
    List<String> slim = Arrays.asList(a[2].split(","));
    List<Path> jars = new ArrayList<>();
    try (var s = Files.list(lib)) { s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add); }

    Map<String, List<String>> resourceTokens = new HashMap<>();
    try (var w = Files.walk(classes)) {
      for (Path p : (Iterable<Path>) w::iterator) {
        if (p.toString().endsWith(".class")) {
          String n = classes.relativize(p).toString();
          n = n.substring(0, n.length() - 6);
          readClass(n, Files.readAllBytes(p), "fhirmig", 0);
          roots.add(n);
        } else if (Files.isRegularFile(p)) {
          resourceTokens.put("fhirmig:" + p, tokens(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)));
        }
      }
    }
    for (Path j : jars) {
      String jn = j.getFileName().toString();
      boolean whole = all ? keepWhole(jn, j) : slim.stream().noneMatch(x -> isArtifact(jn, x));
      try (ZipFile z = new ZipFile(j.toFile())) {
        for (var e : Collections.list(z.entries())) {
          if (e.isDirectory()) continue;
          String n = e.getName();
          byte[] b = z.getInputStream(e).readAllBytes();
          if (n.endsWith(".class") && !n.endsWith("module-info.class")) {
            // A multi-release variant counts as the class it stands in for.
            String cn = n.startsWith("META-INF/versions/") ? n.substring(n.indexOf('/', 18) + 1) : n;
            cn = cn.substring(0, cn.length() - 6);
            readClass(cn, b, jn, e.getCompressedSize());
            if (whole) roots.add(cn);
          } else {
            resourceTokens.put(jn + ":" + n, tokens(new String(b, StandardCharsets.ISO_8859_1)));
          }
        }
      }
    }
    if (!Boolean.getBoolean("nores"))
      for (var e : resourceTokens.entrySet())
        for (String t : e.getValue())
          for (String c : resolve(t))
            if (roots.add(c)) rootWhy.computeIfAbsent(c, k -> new TreeSet<>()).add(e.getKey());

    Set<String> kept = new HashSet<>(roots);
    Map<String, String> parent = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>(roots);
    while (!queue.isEmpty()) {
      String c = queue.poll();
      for (String t : refs.getOrDefault(c, Set.of()))
        for (String r : resolve(t))
          if (kept.add(r)) { parent.put(r, c); queue.add(r); }
    }

    Map<String, long[]> per = new TreeMap<>(); // jar -> bytes, kept bytes, classes, kept classes
    for (var e : owner.entrySet()) {
      long[] v = per.computeIfAbsent(e.getValue(), k -> new long[4]);
      long s = csize.get(e.getKey());
      v[0] += s; v[2]++;
      if (kept.contains(e.getKey())) { v[1] += s; v[3]++; }
    }
    List<Map.Entry<String, long[]>> rows = new ArrayList<>(per.entrySet());
    rows.sort((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]));
    long tot = 0, keptTot = 0;
    for (var r : rows) { tot += r.getValue()[0]; keptTot += r.getValue()[1]; }
    System.out.printf("class bytes (compressed) %.1f MB, kept %.1f MB, dropped %.1f MB%n",
        tot / 1e6, keptTot / 1e6, (tot - keptTot) / 1e6);
    for (var r : rows) {
      long[] v = r.getValue();
      if (v[0] > 300_000)
        System.out.printf("%7.2f -> %7.2f MB  %6d -> %6d classes  %s%n", v[0] / 1e6, v[1] / 1e6, v[2], v[3], r.getKey());
    }
    // Optionally, each kept class with its jar, the class that reached it, and why it is a root.
    if (a.length > 3)
      try (PrintWriter pw = new PrintWriter(a[3])) {
        for (String k : new TreeSet<>(kept))
          pw.println(k + " " + owner.get(k) + " <- " + parent.get(k) + (rootWhy.containsKey(k) ? " root:" + rootWhy.get(k) : ""));
      }
  }

  static boolean isArtifact(String jar, String artifactId) {
    return jar.startsWith(artifactId + "-") && Character.isDigit(jar.charAt(artifactId.length() + 1));
  }

  static boolean keepWhole(String jn, Path j) {
    if (j.toFile().length() < Long.getLong("small", 300_000)) return true;
    for (String p : userFacing) if (jn.startsWith(p)) return true;
    return false;
  }

  /** Every UTF-8 constant's tokens; Class, String and descriptor constants all point at those. */
  static void readClass(String name, byte[] b, String jar, long size) throws IOException {
    owner.putIfAbsent(name, jar);
    csize.merge(name, size, Long::sum);
    Set<String> out = refs.computeIfAbsent(name, k -> new HashSet<>());
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
    in.skipBytes(8); // magic, minor, major
    int n = in.readUnsignedShort();
    for (int i = 1; i < n; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> out.addAll(tokens(in.readUTF()));
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> { in.skipBytes(8); i++; } // long and double take two slots
        case 7, 8, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        default -> throw new IOException("bad constant pool tag " + tag + " in " + name);
      }
    }
  }

  /** Runs of identifier characters, dots and slashes that contain a dot or a slash. */
  static List<String> tokens(String s) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= s.length(); i++) {
      char ch = i < s.length() ? s.charAt(i) : ' ';
      boolean part = Character.isJavaIdentifierPart(ch) || ch == '/' || ch == '.';
      if (part && start < 0) {
        start = i;
      } else if (!part && start >= 0) {
        String t = s.substring(start, i);
        if (t.length() > 2 && (t.indexOf('/') >= 0 || t.indexOf('.') >= 0)) out.add(t);
        start = -1;
      }
    }
    return out;
  }

  /** The known classes a token may name: itself, without a descriptor's L, and its prefixes. */
  static List<String> resolve(String t) {
    List<String> out = new ArrayList<>(1);
    String s = t.replace('.', '/');
    for (String c : s.startsWith("L") ? new String[] {s, s.substring(1)} : new String[] {s}) {
      if (refs.containsKey(c)) out.add(c);
      if (!Boolean.getBoolean("noprefix"))
        for (int i = c.indexOf('/'); i > 0; i = c.indexOf('/', i + 1))
          if (refs.containsKey(c.substring(0, i))) out.add(c.substring(0, i));
    }
    return out;
  }
}
