import { DefaultNamingStrategy, type NamingStrategyInterface, type Table } from "typeorm";

/**
 * Maps camelCase properties to snake_case columns and names keys, foreign keys and indexes the
 * way PostgreSQL names them itself (`users_pkey`, `users_email_key`, `follows_follower_id_fkey`,
 * `articles_created_at_idx`), instead of TypeORM's hashed `PK_…`/`UQ_…`/`FK_…`/`IDX_…`. The
 * entities then stay free of `name:` options, and the schema matches the canonical one name for
 * name, so the store can tell which unique rule a write broke from the constraint's name alone.
 */
export class PostgresNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override columnName(propertyName: string, customName: string | undefined, embeddedPrefixes: string[]): string {
    return customName ?? snakeCase([...embeddedPrefixes, propertyName].join("_"));
  }

  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return snakeCase(`${relationName}_${referencedColumnName}`);
  }

  override primaryKeyName(tableOrName: Table | string): string {
    return `${this.getTableName(tableOrName)}_pkey`;
  }

  override uniqueConstraintName(tableOrName: Table | string, columnNames: string[]): string {
    return `${this.getTableName(tableOrName)}_${columnNames.join("_")}_key`;
  }

  override foreignKeyName(tableOrName: Table | string, columnNames: string[]): string {
    return `${this.getTableName(tableOrName)}_${columnNames.join("_")}_fkey`;
  }

  override indexName(tableOrName: Table | string, columnNames: string[]): string {
    return `${this.getTableName(tableOrName)}_${columnNames.join("_")}_idx`;
  }
}

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}
