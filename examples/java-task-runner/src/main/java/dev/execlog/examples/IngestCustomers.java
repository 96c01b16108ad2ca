package dev.execlog.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Task t_1I: cleans the raw customer file into a processed one. */
public final class IngestCustomers extends BaseTask {

  static final String RAW = "DATA/raw/customers.csv";
  static final String PROCESSED = "DATA/processed/t_1I/output/processed_customers.csv";

  public IngestCustomers(Path projectRoot) {
    super("t_1I", "ingestion", List.of(), projectRoot);
    inputDatasets.put("customers", RAW);
  }

  @Override
  protected List<Output> run() throws Exception {
    Path raw = projectRoot.resolve(RAW);
    if (!Files.exists(raw)) {
      Files.createDirectories(raw.getParent());
      Files.writeString(raw, "id,name\n1, Ada \n2, Grace \n");
    }
    List<String> cleaned = Files.readAllLines(raw).stream().map(String::strip).map(l -> l.replace(", ", ",")).toList();
    Path out = projectRoot.resolve(PROCESSED);
    Files.createDirectories(out.getParent());
    Files.write(out, cleaned);
    return List.of(new Output(PROCESSED, "csv", "Processed customer data"));
  }
}
