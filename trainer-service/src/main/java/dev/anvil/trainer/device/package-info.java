/** Where training runs: the configured device ({@code anvil.trainer.device}), checked when the service starts. */
package dev.anvil.trainer.device;
