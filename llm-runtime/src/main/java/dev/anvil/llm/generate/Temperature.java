package dev.anvil.llm.generate;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/** Divides each row's scores by its temperature; greedy rows (temperature 0) are left alone, argmax picks them. */
final class Temperature implements LogitsProcessor {

    @Override
    public Tensor process(Tensor scores, List<SamplingSequence> rows) {
        float[] divisor = new float[rows.size()];
        boolean any = false;
        for (int r = 0; r < rows.size(); r++) {
            double t = rows.get(r).params().temperature();
            divisor[r] = t == 0 ? 1f : (float) t;
            any |= divisor[r] != 1f;
        }
        return any ? scores.div(RowTensors.column(divisor, scores)) : scores;
    }
}
