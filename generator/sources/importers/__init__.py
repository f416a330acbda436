"""Importers turn outside formats into paper records; only the CLI writes files."""
