package org.sslbench.plugin;

/** Anything a spec names: a method, dataset, backbone or protocol. */
public interface Named {
    /** The name used in specs; lower case, digits and dashes. */
    String name();

    /** One line for {@code make list}. */
    String description();
}
