"""One builder per kind of document, each turning a schema-valid document into its model
object; `opskit.policy.build` runs them in dependency order."""
