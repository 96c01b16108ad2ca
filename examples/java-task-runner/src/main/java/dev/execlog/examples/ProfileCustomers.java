package dev.execlog.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Task t_1P: profiles the processed customers; depends on t_1I. */
public final class ProfileCustomers extends BaseTask {

  static final String PROFILE = "DATA/processed/t_1P/output/customer_profile.json";

  public ProfileCustomers(Path projectRoot) {
    super("t_1P", "profiling", List.of("t_1I"), projectRoot);
    inputDatasets.put("customers", IngestCustomers.PROCESSED);
  }

  @Override
  protected List<Output> run() throws Exception {
    List<String> rows = Files.readAllLines(projectRoot.resolve(IngestCustomers.PROCESSED));
    Path out = projectRoot.resolve(PROFILE);
    Files.createDirectories(out.getParent());
    Files.writeString(out, "{\"rows\": " + (rows.size() - 1) + "}\n");
    return List.of(new Output(PROFILE, "json", "Customer data profile"));
  }
}
