/** What is written beside an exported adapter or model (the model card). */
package dev.anvil.trainer.export;
