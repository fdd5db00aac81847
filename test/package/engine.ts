/** The PDF engine the package and batch tests run on (both give the same package shape). */
export const PACKAGE_ENGINE: 'native' | 'libreoffice' = (process.env.SHENBAO_TEST_ENGINE as 'native' | 'libreoffice') ?? 'native';
