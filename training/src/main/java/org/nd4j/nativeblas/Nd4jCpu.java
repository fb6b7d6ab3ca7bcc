package org.nd4j.nativeblas;

/**
 * Compatibility shim, not ND4J code: DL4J 1.0.0-M2.1 decides whether to create its oneDNN layer
 * helpers (convolution, batch norm, pooling, ...) by loading {@code org.nd4j.nativeblas.Nd4jCpu$Environment}
 * by name and calling {@code getInstance().isUseMKLDNN()} ({@code BaseMKLDNNHelper.mklDnnEnabled()}).
 * ND4J M2.1 renamed that class to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu}, so without
 * this class the check fails and every helper is dropped, even on the oneDNN build. This class
 * answers the check with the native library's own switch. Remove it when DL4J and ND4J agree again.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The one method DL4J's check calls. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        /** @return the instance DL4J's check asks */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /** @return whether the loaded libnd4j was built with oneDNN and has it switched on */
        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
