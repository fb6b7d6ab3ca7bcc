package org.ascspark.training.complexity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Renders a {@link ComplexityReport} as pretty-printed JSON (the {@code complexity.json} beside a model)
 * from its plain-value view {@link ComplexityReport#toMap()}: snake_case keys in a fixed order, LF line
 * endings, two-space indent, no trailing newline; the same layout as
 * {@link org.ascspark.training.eval.MetricsJson}.
 */
public final class ComplexityJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ComplexityJson() {
    }

    /**
     * @param report the complexity report
     * @return the JSON text
     */
    public static String render(ComplexityReport report) {
        try {
            return MAPPER.writer()
                    .with(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")))
                    .writeValueAsString(report.toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render complexity report as JSON", e);
        }
    }
}
