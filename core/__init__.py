"""The shared plumbing of every app: who is asking (:mod:`core.access`), the domain errors,
the API's router, pagination, exception handler and schema, the admin's base classes, the
``model_update`` helper, the outbox, domain events and guards. It depends on no app of the
project: the apps register into its registries instead (see ``docs/architecture.md``)."""
