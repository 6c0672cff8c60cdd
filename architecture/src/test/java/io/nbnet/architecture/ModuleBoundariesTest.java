package io.nbnet.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.nbnet.support.ModuleApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module map, checked on the compiled main classes of every module: a module uses another's
 * packages only where that package's {@code package-info.java} carries {@link ModuleApi}; the store
 * depends on formats and support alone; the PromQL engine on nothing of nbnet's, nor of Vert.x (it has no
 * support module to annotate with: its API is its root package).
 */
class ModuleBoundariesTest {

  /** Each module's root package: every class of a module lives under it. */
  private static final Map<String, String> MODULES = Map.ofEntries(
    Map.entry("io.nbnet.support", "support"),
    Map.entry("io.nbnet.wire", "wire"),
    Map.entry("io.nbnet.formats", "formats"),
    Map.entry("io.nbnet.buffer", "buffer"),
    Map.entry("io.nbnet.store", "store"),
    Map.entry("io.nbnet.promql", "promql"),
    Map.entry("io.nbnet.remotewrite", "remote-write"),
    Map.entry("io.nbnet.otlp", "otlp"),
    Map.entry("io.nbnet.forward", "forward"),
    Map.entry("io.nbnet.rules", "rules"),
    Map.entry("io.nbnet.exec", "exec"),
    Map.entry("io.nbnet.collector", "collector-verticle"),
    Map.entry("io.nbnet.trans", "trans-verticle"),
    Map.entry("io.nbnet.saver", "saver-verticle"),
    Map.entry("io.nbnet.bench", "bench"),
    Map.entry("io.nbnet.launcher", "launcher"),
    Map.entry("io.nbnet.demo", "demo"),
    Map.entry("io.nbnet.mariadb", "embedded-mariadb"),
    Map.entry("io.nbnet.kafka", "kafka-broker"));

  private static final String PROMQL_API = "io.nbnet.promql";
  private static JavaClasses nbnet;

  @BeforeAll
  static void importMainClasses() {
    nbnet = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.nbnet");
  }

  @Test
  @DisplayName("every class belongs to a module, and every module's classes are here to be checked")
  void everyClassHasAModule() {
    List<String> strays = nbnet.stream().filter(c -> module(c).isEmpty()).map(JavaClass::getName).toList();
    assertTrue(strays.isEmpty(), "classes of no known module: " + strays);
    TreeSet<String> seen = new TreeSet<>();
    nbnet.forEach(c -> module(c).ifPresent(seen::add));
    assertEquals(new TreeSet<>(MODULES.values()), seen, "modules with compiled classes on this test's class path");
  }

  @Test
  @DisplayName("a module uses only the API packages of another (those whose package-info carries @ModuleApi)")
  void modulesUseOnlyEachOthersApi() {
    classes().should(onlyUseTheApiOfOtherModules()).check(nbnet);
  }

  @Test
  @DisplayName("the store depends on formats and support alone")
  void storeDependsOnFormatsAndSupport() {
    classes().that().resideInAPackage("io.nbnet.store..")
      .should().onlyDependOnClassesThat(DescribedPredicate.describe("in the store, formats, support or outside nbnet",
        (JavaClass target) -> !target.getPackageName().startsWith("io.nbnet.")
          || module(target).filter(m -> m.equals("store") || m.equals("formats") || m.equals("support")).isPresent()))
      .check(nbnet);
  }

  @Test
  @DisplayName("the PromQL engine depends on nothing of nbnet's other modules, nor on Vert.x or a database")
  void promqlStandsAlone() {
    classes().that().resideInAPackage("io.nbnet.promql..")
      .should().onlyDependOnClassesThat(DescribedPredicate.describe("in the engine, the JDK or RE2/J",
        (JavaClass target) -> target.getPackageName().startsWith("io.nbnet.promql") || target.getPackageName().startsWith("java.")
          || target.getPackageName().startsWith("com.google.re2j")))
      .check(nbnet);
  }

  private static ArchCondition<JavaClass> onlyUseTheApiOfOtherModules() {
    return new ArchCondition<>("only use the @ModuleApi packages of other modules") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        Optional<String> from = module(origin);
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
          JavaClass target = dependency.getTargetClass();
          Optional<String> to = module(target);
          if (to.isEmpty() || to.equals(from) || isApi(target.getPackage())) {
            continue;
          }
          events.add(SimpleConditionEvent.violated(dependency, from.orElse("?") + " uses " + target.getPackageName()
            + ", which is internal to " + to.get() + ": " + dependency.getDescription()));
        }
      }
    };
  }

  private static boolean isApi(JavaPackage pkg) {
    return pkg.isAnnotatedWith(ModuleApi.class) || pkg.getName().equals(PROMQL_API);
  }

  private static Optional<String> module(JavaClass type) {
    String name = type.getPackageName();
    return MODULES.entrySet().stream()
      .filter(root -> name.equals(root.getKey()) || name.startsWith(root.getKey() + "."))
      .map(Map.Entry::getValue)
      .findFirst();
  }
}
